package smptrace.kernel;

import static smptrace.kernel.Kernel.READ_ONCE;
import static smptrace.kernel.Kernel.try_cmpxchg;
import static smptrace.kernel.Kernel.xchg;

/** include/linux/llist.h and lib/llist.c: the lock-less list behind call_single_queue. */
public final class Llist {
    private Llist() { }

    /** llist_add_batch() (lib/llist.c, EXPORT_SYMBOL_GPL): push new_first..new_last; true if the list was empty. */
    @Mirrors(value = "llist_add_batch", file = "lib/llist.c") public static boolean llist_add_batch(LlistNode new_first, LlistNode new_last, LlistHead head) {
        Old<LlistNode> first = new Old<>(READ_ONCE(head, LlistHead.FIRST));

        do {
            new_last.next = first.v;
        } while (!try_cmpxchg(head, LlistHead.FIRST, first, new_first));

        return first.v == null;
    }

    /** llist_add(): the caller must kick the consumer when this returns true. */
    @Mirrors(value = "llist_add", file = "include/linux/llist.h") public static boolean llist_add(LlistNode node, LlistHead head) {
        return llist_add_batch(node, node, head);
    }

    /** llist_del_all(): take the whole list; fully ordered (xchg). */
    @Mirrors(value = "llist_del_all", file = "include/linux/llist.h") public static LlistNode llist_del_all(LlistHead head) {
        return xchg(head, LlistHead.FIRST, null);
    }

    /** llist_empty(): a READ_ONCE peek. */
    @Mirrors(value = "llist_empty", file = "include/linux/llist.h") public static boolean llist_empty(LlistHead head) {
        return READ_ONCE(head, LlistHead.FIRST) == null;
    }

    /** llist_reverse_order() (lib/llist.c): plain walk that rewrites every ->next. */
    @Mirrors(value = "llist_reverse_order", file = "lib/llist.c") public static LlistNode llist_reverse_order(LlistNode head) {
        LlistNode new_head = null;

        while (head != null) {
            LlistNode tmp = head;
            head = head.next;
            tmp.next = new_head;
            new_head = tmp;
        }

        return new_head;
    }
}
