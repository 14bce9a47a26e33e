/**
 * Which library versions Lockstep runs with: the guard against an untested Liquibase.
 */
@NullMarked
package dev.lockstep.core.compat;

import org.jspecify.annotations.NullMarked;
