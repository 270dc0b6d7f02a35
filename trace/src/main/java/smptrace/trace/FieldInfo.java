package smptrace.trace;

/**
 * A field id of the trace's field dictionary: a struct member, with its JVM type descriptor
 * ({@code I}, {@code J}, {@code Lsome/Class;}, ...; {@code ?} when the recorder did not know it).
 */
public record FieldInfo(int id, String owner, String name, String type) {
    public FieldInfo(int id, String owner, String name) {
        this(id, owner, name, "?");
    }

    /** The member holds a pointer (an object reference): its values are object ids. */
    public boolean isPointer() {
        return type.startsWith("L") || type.startsWith("[");
    }

    public String shortText() {
        return owner.substring(owner.lastIndexOf('.') + 1) + "." + name;
    }
}
