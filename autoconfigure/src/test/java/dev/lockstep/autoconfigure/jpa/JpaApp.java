package dev.lockstep.autoconfigure.jpa;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A JPA application whose entities live in this package. Not a {@code @Configuration}, so that no component scan
 * elsewhere picks it up.
 */
@EnableAutoConfiguration
public class JpaApp {

}
