package smptrace.litmus;

import java.util.List;

/**
 * A C litmus test: its name, initial state, processes and condition, and the verdict its header
 * comment claims ({@code Result: Never}, possibly followed by flags such as {@code DATARACE}).
 *
 * @param expected      "Never", "Sometimes" or "Always" from the Result line, or null
 * @param expectedFlags the words after the verdict on the Result line (e.g. "DATARACE"), or ""
 */
public record LitmusTest(String name, List<Ast.Init> init, List<Ast.Thread> threads, Condition condition,
                         String expected, String expectedFlags) {
}
