/**
 * Drift: what the migrations made, recorded from PostgreSQL's catalog after every run that changed the schema,
 * and the live catalog compared with that record (or with a scratch database built from the changelog).
 * <p>
 * May use api, problem, jdbc, changelog, fingerprint and lock; never run or command (they use this package).
 */
@NullMarked
package dev.lockstep.core.drift;

import org.jspecify.annotations.NullMarked;
