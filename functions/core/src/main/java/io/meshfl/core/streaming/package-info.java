/**
 * Aggregating straight from the object store: each accepted update is read by ranged GETs into a small ring of
 * buffers while the strategy folds it, and hashed on the way. Scratch space is the rings (lanes × block × K), not
 * K downloaded files; the caller compares every update's SHA-256 with the registered one before it publishes
 * anything computed from the bytes.
 */
package io.meshfl.core.streaming;
