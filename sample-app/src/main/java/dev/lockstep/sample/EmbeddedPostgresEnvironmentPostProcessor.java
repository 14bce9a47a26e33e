package dev.lockstep.sample;

import java.io.File;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Zero set-up for the sample: when no {@code spring.datasource.url} is configured, start an embedded PostgreSQL
 * whose data lives in {@code sample.embedded-postgres.data-dir} (default {@code target/sample-postgres}), so a
 * restart keeps the data.
 */
class EmbeddedPostgresEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	private static EmbeddedPostgres postgres;

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty("spring.datasource.url")
				|| !environment.getProperty("sample.embedded-postgres.enabled", Boolean.class, true)) {
			return;
		}
		File dataDirectory = new File(
				environment.getProperty("sample.embedded-postgres.data-dir", "target/sample-postgres"));
		int port = start(dataDirectory).getPort();
		environment.getPropertySources()
			.addLast(new MapPropertySource("sampleEmbeddedPostgres",
					Map.of("spring.datasource.url", "jdbc:postgresql://localhost:" + port + "/postgres",
							"spring.datasource.username", "postgres", "spring.datasource.password", "postgres")));
	}

	private static synchronized EmbeddedPostgres start(File dataDirectory) {
		if (postgres == null) {
			try {
				dataDirectory.mkdirs();
				postgres = EmbeddedPostgres.builder()
					.setDataDirectory(dataDirectory)
					.setCleanDataDirectory(false)
					.start();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start the sample's embedded PostgreSQL in "
						+ dataDirectory.getAbsolutePath() + "; set spring.datasource.url to use your own database",
						ex);
			}
		}
		return postgres;
	}

}
