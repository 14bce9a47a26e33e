package dev.lockstep.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application the HTTP tests start: auto-configuration only, no component scanning. JPA is left out (the tests
 * have no entities and it only adds start-up time); everything else on the test classpath (Web MVC, Actuator,
 * Micrometer, JDBC) is configured as in a user's application.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.hibernate.autoconfigure.metrics.HibernateMetricsAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
public class TestApplication {

}
