package smptrace.cli;

/** Bad usage or bad input: reported as one line on stderr with exit code 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
