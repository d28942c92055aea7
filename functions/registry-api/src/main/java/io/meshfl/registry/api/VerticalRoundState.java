package io.meshfl.registry.api;

/**
 * A vertical (split-learning) round's state: OPEN until its outcome is recorded, then COMPLETED (the head stepped every
 * batch window) or FAILED (with the reason: the first open window and the parties missing from it at the deadline).
 */
public enum VerticalRoundState { OPEN, COMPLETED, FAILED }
