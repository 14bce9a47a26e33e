package dev.lockstep.test;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A plain Spring Boot application with full auto-configuration and no component scan, for tests that start real
 * application contexts.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class MigrationsTestApp {

	public static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(MigrationsTestApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		return application.run(args);
	}

}
