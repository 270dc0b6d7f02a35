package smptrace.demo;

import smptrace.kernel.IntField;
import smptrace.kernel.KernelObject;

import java.lang.invoke.MethodHandles;

/** The demo's shared memory: a payload published through a flag (the message-passing shape). */
public final class Mailbox extends KernelObject {
    public static final IntField FLAG = IntField.of(MethodHandles.lookup(), Mailbox.class, "flag");
    public static final IntField DATA = IntField.of(MethodHandles.lookup(), Mailbox.class, "data");

    public static final IntField ACK = IntField.of(MethodHandles.lookup(), Mailbox.class, "ack");

    public int data;
    public int flag;
    public int ack;
}
