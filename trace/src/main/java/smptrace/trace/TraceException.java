package smptrace.trace;

/** A trace that cannot be read: missing, empty, corrupt, truncated past use, or of another version. One line of text. */
public class TraceException extends Exception {
    public TraceException(String message) {
        super(clean(message));
    }

    public TraceException(String message, Throwable cause) {
        super(clean(message), cause);
    }

    /**
     * Text taken from a file or a library, made fit for one line of a message: control characters
     * (newlines, escapes, NULs) become '?', and it is cut at 300 characters.
     */
    public static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && b.length() < 300; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
        }
        if (s.length() > 300) {
            b.append("...");
        }
        return b.toString();
    }
}
