package smptrace.kernel;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The kernel code an engine member mirrors, machine-readable (reports print it; a test checks it
 * against the seeds' hunks): the kernel function or variable, its source file, and the seed hunks
 * that change it, each as {@code "SEED:-START,LEN"}, the pre-image range exactly as the seed's
 * {@code @@ -START,LEN ...} header gives it (line numbers of that seed's own tree), and the lines of the
 * function in the one kernel tree the engine models, {@link #TREE} (reports print those for every frame;
 * {@code KernelMirrorsTest} checks them against the excerpt of that tree it keeps).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.CONSTRUCTOR})
public @interface Mirrors {
    /** The kernel function (or variable) of the same name. */
    String value();

    /** Its source file in the kernel tree. */
    String file() default "kernel/smp.c";

    /** The seed hunks that change it: {@code "003:-858,15"}. */
    String[] hunks() default {};

    /**
     * Where it is in {@link #TREE}: {@code "364-375"} (the definition's first line to its closing brace;
     * one line for a macro or variable); empty where the engine does not state it (a file of that tree
     * not yet checked: reports print the file alone, never a guessed line).
     */
    String lines() default "";

    /**
     * The kernel tree whose line numbers {@link #lines()} gives: kernel/smp.c of the 2026 baseline that the
     * engine models (shared/docs/smp-model.md, section 0).
     */
    String TREE = "linux 06978ceda170 (CachyOS/linux, the 2026 baseline)";
}
