package dev.lockstep.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import dev.lockstep.core.compat.UntestedLiquibaseException;

/**
 * Explains a startup refused because of an untested Liquibase (5.x, usually brought in by Spring Boot's dependency
 * management), and how to pin the tested version with Maven or Gradle. Ahead of {@link MigrationsFailureAnalyzer},
 * which would match the same exception with a shorter text.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class UntestedLiquibaseFailureAnalyzer extends AbstractFailureAnalyzer<UntestedLiquibaseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UntestedLiquibaseException cause) {
		String tested = cause.testedVersion();
		String description = "Lockstep migrations: Liquibase " + cause.foundVersion()
				+ " is on the classpath, but Lockstep is built and tested with Liquibase " + tested
				+ ". Liquibase 5 and later are not open source and Lockstep is not tested with them; Spring Boot's"
				+ " dependency management brings Liquibase 5 unless the version is pinned.";
		String action = String.format("Pin Liquibase %1$s:%n"
				+ "  - Maven with the Spring Boot parent (spring-boot-starter-parent): add to <properties>%n"
				+ "        <liquibase.version>%1$s</liquibase.version>%n"
				+ "  - Maven importing spring-boot-dependencies: declare org.liquibase:liquibase-core %1$s in"
				+ " <dependencyManagement>, before the spring-boot-dependencies import%n"
				+ "  - Gradle: ext['liquibase.version'] = '%1$s' (dependency-management plugin), or a constraint"
				+ " implementation('org.liquibase:liquibase-core') { version { strictly '%1$s' } }%n"
				+ "Or, to run on Liquibase %2$s anyway (untested; a warning is logged), set"
				+ " migrations.allow-untested-liquibase=true.", tested, cause.foundVersion());
		return new FailureAnalysis(description, action, cause);
	}

}
