/**
 * Many databases: named targets, each with its own DataSource and settings, and the tenants of a target (a schema
 * or a database each), migrated in parallel, each under its own lock and history, and seen as one fleet.
 */
@NullMarked
package dev.lockstep.core.targets;

import org.jspecify.annotations.NullMarked;
