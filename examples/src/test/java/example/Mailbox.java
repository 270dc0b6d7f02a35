package example;

import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

import java.lang.invoke.MethodHandles;

/** The message: a plain payload published through a flag. */
public final class Mailbox extends KernelObject {
    public static final IntField FLAG = IntField.of(MethodHandles.lookup(), Mailbox.class, "flag");
    public int flag;
    public int data;
}
