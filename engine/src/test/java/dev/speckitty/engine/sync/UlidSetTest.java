package dev.speckitty.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.event.Ulid;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UlidSetTest {
    @Test
    void answersAsAHashSetOfTheSameIdsDoes() {
        Ulid ulids = new Ulid(Clock.systemUTC(), new SecureRandom());
        UlidSet set = new UlidSet(1_000_000);
        Set<String> reference = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            String id = ulids.next();
            boolean keep = random.nextBoolean();
            if (keep) {
                assertTrue(set.add(id));
                reference.add(id);
            }
            // A later id, and ids that differ from held ones in one character, are not members.
            assertEquals(reference.contains(id), set.contains(id));
            String changed = id.substring(0, 25) + (id.charAt(25) == 'Z' ? 'Y' : 'Z');
            assertEquals(reference.contains(changed), set.contains(changed));
        }
        assertEquals(reference.size(), set.size());
        for (String id : reference) {
            assertTrue(set.contains(id), id);
            assertFalse(set.add(id), "held once: " + id);
        }
    }

    @Test
    void onlyCanonicalUlidsAreHeld() {
        UlidSet set = new UlidSet(10);
        for (String bad : new String[] {null, "", "01KAT0V6J8Q5R9S1T2V3W4X5Y", "01KAT0V6J8Q5R9S1T2V3W4X5Y66",
                "81KAT0V6J8Q5R9S1T2V3W4X5Y6", "01kat0v6j8q5r9s1t2v3w4x5y6", "01KAT0V6J8Q5R9S1T2V3W4X5YI",
                "01KAT0V6J8Q5R9S1T2V3W4X5YU", "01KAT0V6J8Q5R9S1T2V3W4X5Y\u00e9", "550e8400-e29b-41d4-a716-44665544"}) {
            assertFalse(set.add(bad), bad);
            assertFalse(set.contains(bad), bad);
        }
        assertEquals(0, set.size());
        assertTrue(set.add("00000000000000000000000000"), "the zero ULID is a member like any other");
        assertTrue(set.contains("00000000000000000000000000"));
    }

    @Test
    void aFullSetRefusesMore() {
        Ulid ulids = new Ulid(Clock.systemUTC(), new SecureRandom());
        UlidSet set = new UlidSet(3_000);
        for (int i = 0; i < 3_000; i++) {
            assertTrue(set.add(ulids.next()));
        }
        String late = ulids.next();
        assertFalse(set.add(late));
        assertFalse(set.contains(late));
        assertEquals(3_000, set.size());
    }
}
