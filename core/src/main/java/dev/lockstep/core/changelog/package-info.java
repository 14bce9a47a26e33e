/**
 * The changelog and running Liquibase on it: parsing, parameters (and masking their values in SQL shown), Liquibase
 * scopes and commands, the SQL of pending changesets, and the read-only history service of status reads.
 * <p>
 * May use {@code api} and {@code problem}.
 */
@NullMarked
package dev.lockstep.core.changelog;

import org.jspecify.annotations.NullMarked;
