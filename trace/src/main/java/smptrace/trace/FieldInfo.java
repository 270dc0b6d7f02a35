package smptrace.trace;

/** A field id of the trace's field dictionary: a struct member, or an array's element slot. */
public record FieldInfo(int id, String owner, String name) {
    public String shortText() {
        return owner.substring(owner.lastIndexOf('.') + 1) + "." + name;
    }
}
