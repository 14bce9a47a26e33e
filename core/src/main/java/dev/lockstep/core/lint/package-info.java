/**
 * Lint: PostgreSQL rules for pending changesets, read from the SQL they would run and graded by the live tables
 * they touch (a table created earlier in the same run or empty is exempt; a small one is a warning; one above the
 * large-table threshold an error); suppression per changeset with a reason.
 * <p>
 * May use api and problem only (the caller gives the SQL and a connection).
 */
@NullMarked
package dev.lockstep.core.lint;

import org.jspecify.annotations.NullMarked;
