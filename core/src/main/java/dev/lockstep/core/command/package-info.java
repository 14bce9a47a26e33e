/**
 * One class per command verb (update, update-sql, rollback with its planner, rollback-sql, tag, baseline, history,
 * generate-changelog, diff with its scratch database), each built on the {@code RunContext} the startup operations
 * use.
 * <p>
 * May use every core package but the facades in {@code dev.lockstep.core}.
 */
@NullMarked
package dev.lockstep.core.command;

import org.jspecify.annotations.NullMarked;
