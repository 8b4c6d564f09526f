package dev.rwkvedge.tokenizer;

import java.util.Arrays;

/**
 * A trie over byte strings whose edges live in one open-addressing hash table keyed by (node, byte). A dense
 * 256-way table per node would need hundreds of megabytes for the World vocabulary's ~500k nodes; the shared
 * table stays a few megabytes and costs one probe per input byte.
 */
final class ByteTrie {
    private static final int ROOT = 0;
    private static final int NO_NODE = -1;
    /** Node numbers are packed with the byte into an int key, so they must fit in 23 bits. */
    private static final int MAX_NODES = 1 << 23;

    private int[] tokenAtNode = new int[1024];
    private int nodeCount = 1;
    private int[] edgeKeys = emptyTable(1024);
    private int[] edgeTargets = new int[1024];
    private int edgeCount;

    ByteTrie() {
        tokenAtNode[ROOT] = NO_NODE;
    }

    /** Adds a token; a later token with the same bytes replaces the earlier one. */
    void add(byte[] token, int id) {
        if (token.length == 0) throw new IllegalArgumentException("token " + id + " is empty");
        int node = ROOT;
        for (byte b : token) {
            int child = child(node, b);
            node = child != NO_NODE ? child : addChild(node, b);
        }
        tokenAtNode[node] = id;
    }

    /**
     * The longest token that starts at {@code start}: its id in the low 32 bits and its length in the high 32,
     * or -1 when no token matches the byte there.
     */
    long longestMatch(byte[] text, int start) {
        int node = ROOT;
        int bestId = NO_NODE;
        int bestLength = 0;
        for (int i = start; i < text.length; i++) {
            node = child(node, text[i]);
            if (node == NO_NODE) break;
            int id = tokenAtNode[node];
            if (id != NO_NODE) {
                bestId = id;
                bestLength = i - start + 1;
            }
        }
        return bestId == NO_NODE ? -1 : ((long) bestLength << 32) | bestId;
    }

    private int child(int node, byte b) {
        int key = (node << 8) | (b & 0xff);
        int mask = edgeKeys.length - 1;
        for (int slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
            int k = edgeKeys[slot];
            if (k == key) return edgeTargets[slot];
            if (k == -1) return NO_NODE;
        }
    }

    private int addChild(int node, byte b) {
        if (nodeCount == MAX_NODES) throw new IllegalStateException("vocabulary too large for the trie");
        if (nodeCount == tokenAtNode.length) tokenAtNode = Arrays.copyOf(tokenAtNode, nodeCount * 2);
        int child = nodeCount++;
        tokenAtNode[child] = NO_NODE;
        if ((edgeCount + 1) * 2 > edgeKeys.length) rehash(edgeKeys.length * 2);
        insertEdge((node << 8) | (b & 0xff), child);
        edgeCount++;
        return child;
    }

    private void insertEdge(int key, int target) {
        int mask = edgeKeys.length - 1;
        int slot = mix(key) & mask;
        while (edgeKeys[slot] != -1) slot = (slot + 1) & mask;
        edgeKeys[slot] = key;
        edgeTargets[slot] = target;
    }

    private void rehash(int capacity) {
        int[] oldKeys = edgeKeys;
        int[] oldTargets = edgeTargets;
        edgeKeys = emptyTable(capacity);
        edgeTargets = new int[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1) insertEdge(oldKeys[i], oldTargets[i]);
        }
    }

    private static int[] emptyTable(int capacity) {
        int[] table = new int[capacity];
        Arrays.fill(table, -1);
        return table;
    }

    /** Keys of sibling edges differ only in the low byte; the multiply spreads them over the table. */
    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
