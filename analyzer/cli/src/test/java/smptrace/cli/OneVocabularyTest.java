package smptrace.cli;

import org.junit.jupiter.api.Test;
import smptrace.analysis.Finding;
import smptrace.engine.Catalogue;
import smptrace.engine.Engine;
import smptrace.engine.Outcome;
import smptrace.engine.Patch;
import smptrace.engine.RunConfig;
import smptrace.engine.Variant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's run outcomes speak the analysis' finding kinds: scenarios, record's status line, analyze. */
class OneVocabularyTest {
    @Test
    void everyEngineOutcomeNamesTheFindingKindThatClaimsIt() {
        for (Outcome o : Outcome.values()) {
            Finding.Kind k = Finding.Kind.ofOutcome(o.name());
            assertNotNull(k, o + " is claimed by no finding kind");
            assertEquals(k.id, o.kind, o + "'s word in the engine");
        }
    }

    @Test
    void scenariosListingAndStatusLineUseNoOracleNames() {
        String listing = Catalogue.describe();
        RunConfig c = RunConfig.of(Patch.P001, Variant.parse(Patch.P001, "before")).withSeed(29);
        String status = Engine.run(c).summary();
        for (String text : new String[] {listing, status}) {
            for (Outcome o : Outcome.values()) {
                assertFalse(text.contains(o.name()) || text.contains(o.name().toLowerCase(java.util.Locale.ROOT)),
                        o.name() + " leaks into: " + text);
            }
        }
        assertTrue(status.contains(" lock-ownership-race="), status);
        assertTrue(listing.contains("(shows lock-ownership-race)"), listing);
    }
}
