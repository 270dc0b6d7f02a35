package smptrace.trace;

/** A recording stream: one Java thread of the recorded program (an engine task or CPU). */
public record ThreadInfo(int id, String name, long javaThreadId) { }
