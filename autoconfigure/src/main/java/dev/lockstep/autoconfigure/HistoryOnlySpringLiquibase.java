package dev.lockstep.autoconfigure;

import liquibase.integration.spring.SpringLiquibase;

/**
 * Stands in for Spring Boot's own {@link SpringLiquibase} bean when Spring Boot's Liquibase auto-configuration is
 * on the classpath too: its presence makes Spring Boot back off (so exactly one run happens, Lockstep's), and it
 * lets {@code /actuator/liquibase} list the history Lockstep writes. It never runs anything itself.
 */
public class HistoryOnlySpringLiquibase extends SpringLiquibase {

	@Override
	public void afterPropertiesSet() {
		// Lockstep's MigrationsInitializer runs the changelog.
	}

}
