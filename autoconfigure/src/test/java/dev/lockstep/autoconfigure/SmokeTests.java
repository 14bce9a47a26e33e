package dev.lockstep.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	@Test
	void appliesChangelogAtStartup() {
		TestDatabase db = TestDatabases.create();
		SpringApplication app = new SpringApplication(App.class);
		app.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = app.run(db.springArguments())) {
			assertThat(db.count("select count(*) from databasechangelog")).isEqualTo(3);
		}
		try (ConfigurableApplicationContext context = app.run(db.springArguments())) {
			assertThat(db.count("select count(*) from databasechangelog")).isEqualTo(3);
		}
	}

	@SpringBootApplication
	static class App {

	}

}
