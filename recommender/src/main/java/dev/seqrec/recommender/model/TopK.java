package dev.seqrec.recommender.model;

/**
 * The k best columns of a score row in one pass with a bounded heap. Among equal scores the smaller id ranks first
 * (the project's tie rule, mclrec-spec.md section 3). Columns scored {@code -Infinity} are never selected.
 */
final class TopK {
    private TopK() {
    }

    /** Ids of the best columns among {@code from..scores.length-1}, best first; fewer than k if too few qualify. */
    static int[] select(float[] scores, int from, int k) {
        int capacity = Math.min(k, Math.max(0, scores.length - from)); // k can be far larger than the row
        int[] heapIds = new int[capacity];
        float[] heapScores = new float[capacity];
        int size = 0;
        for (int id = from; id < scores.length; id++) {
            float s = scores[id];
            if (s == Float.NEGATIVE_INFINITY) {
                continue;
            }
            if (size < capacity) {
                heapIds[size] = id;
                heapScores[size] = s;
                siftUp(heapIds, heapScores, size++);
            } else if (s > heapScores[0]) { // ids ascend, so an equal score never beats the heap's worst
                heapIds[0] = id;
                heapScores[0] = s;
                siftDown(heapIds, heapScores, size);
            }
        }
        int[] result = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            result[i] = heapIds[0];
            heapIds[0] = heapIds[i];
            heapScores[0] = heapScores[i];
            siftDown(heapIds, heapScores, i);
        }
        return result;
    }

    /** True when (sa, ia) ranks below (sb, ib). */
    private static boolean worse(float sa, int ia, float sb, int ib) {
        return sa < sb || (sa == sb && ia > ib);
    }

    private static void siftUp(int[] ids, float[] scores, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!worse(scores[i], ids[i], scores[parent], ids[parent])) {
                return;
            }
            swap(ids, scores, i, parent);
            i = parent;
        }
    }

    private static void siftDown(int[] ids, float[] scores, int size) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && worse(scores[right], ids[right], scores[left], ids[left])) {
                worst = right;
            }
            if (!worse(scores[worst], ids[worst], scores[i], ids[i])) {
                return;
            }
            swap(ids, scores, i, worst);
            i = worst;
        }
    }

    private static void swap(int[] ids, float[] scores, int a, int b) {
        int id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
    }
}
