/**
 * Plain JDBC: the run's labelled connections and their Liquibase databases, where the history tables live (schema
 * resolution, schema-qualified names), UTC history times, redacted URLs and telling a lost session by SQLState.
 * <p>
 * May use {@code api} and {@code problem}.
 */
@NullMarked
package dev.lockstep.core.jdbc;

import org.jspecify.annotations.NullMarked;
