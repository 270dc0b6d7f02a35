package smptrace.trace;

/** A source site: where in the engine an event came from. */
public record Site(int id, String className, String method, String file, int line) {
    public String shortText() {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple + "." + method + "(" + file + ":" + line + ")";
    }
}
