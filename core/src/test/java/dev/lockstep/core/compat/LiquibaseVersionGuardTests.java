package dev.lockstep.core.compat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import liquibase.util.LiquibaseUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class LiquibaseVersionGuardTests {

	private final ListAppender<ILoggingEvent> log = new ListAppender<>();

	private final Logger logger = (Logger) LoggerFactory.getLogger(LiquibaseVersionGuard.class);

	@BeforeEach
	void captureLog() {
		this.log.start();
		this.logger.addAppender(this.log);
	}

	@AfterEach
	void releaseLog() {
		this.logger.detachAppender(this.log);
	}

	@Test
	void theLiquibaseTheBuildUsesIsTheTestedOneAndPasses() {
		assertThat(LiquibaseUtil.getBuildVersion()).isEqualTo(LiquibaseVersionGuard.TESTED_VERSION);
		assertThatNoException().isThrownBy(() -> LiquibaseVersionGuard.check(false));
		assertThat(this.log.list).isEmpty();
	}

	@Test
	void liquibaseFiveFailsWithBothVersions() {
		assertThatExceptionOfType(UntestedLiquibaseException.class)
			.isThrownBy(() -> LiquibaseVersionGuard.check("5.0.4", false))
			.satisfies((ex) -> {
				assertThat(ex.foundVersion()).isEqualTo("5.0.4");
				assertThat(ex.testedVersion()).isEqualTo("4.33.0");
				assertThat(ex.getMessage()).contains("Liquibase 5.0.4").contains("4.33.0");
				assertThat(ex.action()).contains("Use Liquibase 4.33.0");
			});
		assertThat(this.log.list).isEmpty();
	}

	@Test
	void laterMajorsFailToo() {
		assertThatExceptionOfType(UntestedLiquibaseException.class)
			.isThrownBy(() -> LiquibaseVersionGuard.check("6.1", false));
		assertThatExceptionOfType(UntestedLiquibaseException.class)
			.isThrownBy(() -> LiquibaseVersionGuard.check("10.0.0", false));
	}

	@Test
	void liquibaseFiveAllowedOnlyWarns() {
		assertThatNoException().isThrownBy(() -> LiquibaseVersionGuard.check("5.0.4", true));
		assertThat(this.log.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains("Liquibase 5.0.4").contains("4.33.0");
		});
	}

	@Test
	void testedMajorAndVersionsLiquibaseCannotNamePass() {
		for (String version : new String[] { "4.33.0", "4.29.1", "DEV", "UNKNOWN", "" }) {
			assertThatNoException().as(version).isThrownBy(() -> LiquibaseVersionGuard.check(version, false));
		}
		assertThat(this.log.list).isEmpty();
	}

}
