package dev.rwkvedge.compress.head;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which rows k-means groups: the head's own rows, or the embedding's (the paper's choice). */
public enum ClusterSpace {
    @JsonProperty("head") HEAD,
    @JsonProperty("embedding") EMBEDDING
}
