package io.github.unseg.segment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlaneSummariesTest {
    @Test
    void oneFormOfSentenceIsOneLineWithRanges() {
        List<String> lines = Arrays.asList(
                "K-means, 3 clusters, inertia 353.347 on 200000 pixels, 33 iterations",
                "K-means, 3 clusters, inertia 345.031 on 200000 pixels, 12 iterations",
                "K-means, 3 clusters, inertia 373.275 on 200000 pixels, 21 iterations");
        assertEquals(List.of("slices 1-3: K-means, 3 clusters, inertia 345.031-373.275 on 200000 pixels, 12-33 iterations"),
                PlaneSummaries.condense(lines, 3, 1));
        assertEquals(List.of("frames 1-3: K-means, 3 clusters, inertia 345.031-373.275 on 200000 pixels, 12-33 iterations"),
                PlaneSummaries.condense(lines, 1, 3));
    }

    @Test
    void signsAndDashesStayReadable() {
        // a negative BIC is a sign, not a dash; "log-likelihood" and "50-900" keep theirs; ranges beside a '-' use ".."
        List<String> lines = Arrays.asList(
                "mean log-likelihood 1.29902, BIC -170177, labels of 50-900 pixels",
                "mean log-likelihood 1.29928, BIC -170210, labels of 60-800 pixels");
        assertEquals("frames 1-2: mean log-likelihood 1.29902-1.29928, BIC -170210..-170177, labels of 50..60-800..900 pixels",
                PlaneSummaries.condense(lines, 1, 2).get(0));
    }

    @Test
    void differentSentencesKeepTheirOwnPlanes() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 20; i++) lines.add(i % 3 == 0 ? "3 labels after " + (40 + i) + " iterations (stopped)" : "4 labels after 100 iterations (label target reached)");
        List<String> out = PlaneSummaries.condense(lines, 10, 2);
        assertEquals(2, out.size(), out.toString());
        assertEquals("planes 1-2, 4-5, 7-8, 10-11, 13-14, 16-17, ... (14 of 20; 10 slices x 2 frames, t-major): 4 labels after 100 iterations (label target reached)", out.get(0));
        assertEquals("planes 3, 6, 9, 12, 15, 18 (10 slices x 2 frames, t-major): 3 labels after 43-58 iterations (stopped)", out.get(1));
        assertEquals(List.of("slice 1: one line"), PlaneSummaries.condense(List.of("one line"), 1, 1));
    }
}
