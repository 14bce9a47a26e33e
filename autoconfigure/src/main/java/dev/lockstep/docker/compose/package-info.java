/**
 * Docker Compose support: a database service supplies the migration database.
 */
@NullMarked
package dev.lockstep.docker.compose;

import org.jspecify.annotations.NullMarked;
