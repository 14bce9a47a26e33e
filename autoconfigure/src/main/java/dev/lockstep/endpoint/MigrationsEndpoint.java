package dev.lockstep.endpoint;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.lockstep.core.MigrationMonitor;

/**
 * {@code /actuator/migrations}: where the schema stands, the history, and what is pending with its SQL. Served
 * from the monitor's cached status. Read-only by default; granting unrestricted access enables
 * {@code POST /actuator/migrations}, which applies pending changesets under the lock.
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsEndpoint {

	private final MigrationMonitor monitor;

	private final String changeLog;

	public MigrationsEndpoint(MigrationMonitor monitor, String changeLog) {
		this.monitor = monitor;
		this.changeLog = changeLog;
	}

	@ReadOperation
	public MigrationsDescriptor status() {
		return MigrationsDescriptor.of(this.monitor.snapshot(), this.changeLog);
	}

	@ReadOperation
	public OperationResponseBody part(@Selector String part) {
		return switch (part) {
			case "history" -> HistoryDescriptor.of(this.monitor.snapshot().history());
			case "pending" -> PendingDescriptor.of(this.monitor.pendingSql());
			default -> null;
		};
	}

	/**
	 * Applies pending changesets now, under the lock. Needs
	 * {@code management.endpoint.migrations.access=unrestricted}.
	 */
	@WriteOperation
	public MigrationsDescriptor apply() {
		this.monitor.apply();
		return status();
	}

}
