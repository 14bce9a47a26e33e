package dev.lockstep.endpoint;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.lockstep.core.MigrationMonitor;

/**
 * {@code /actuator/migrations}: where the schema stands, the history, what is pending with its SQL, and the drift
 * ({@code /drift}, checked afresh at most once per {@code migrations.status.cache-ttl}). Served from the monitor's
 * cached status. Read-only by default; granting unrestricted access enables
 * {@code POST /actuator/migrations}, which applies pending changesets under the lock.
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsEndpoint {

	private static final Log logger = LogFactory.getLog(MigrationsEndpoint.class);

	private final MigrationMonitor monitor;

	private final String changeLog;

	public MigrationsEndpoint(MigrationMonitor monitor, String changeLog) {
		this.monitor = monitor;
		this.changeLog = changeLog;
	}

	@ReadOperation
	public MigrationsResponse status() {
		return new MigrationsResponse(MigrationsDescriptor.of(this.monitor.snapshot(), this.changeLog));
	}

	@ReadOperation
	public @Nullable OperationResponseBody part(@Selector String part) {
		return switch (part) {
			case "history" -> HistoryDescriptor.of(this.monitor.snapshot().history());
			case "pending" -> PendingDescriptor.of(this.monitor.pendingSql());
			case "drift" -> DriftDescriptor.of(this.monitor.freshDrift());
			default -> null;
		};
	}

	/**
	 * Applies pending changesets now, under the lock. Needs unrestricted access to the endpoint
	 * ({@code management.endpoint.migrations.access=unrestricted}, or
	 * {@code management.endpoints.access.default=unrestricted}). Over HTTP it takes a JSON body, so that only a
	 * request sent as {@code application/json} (which a browser form or a simple cross-site request cannot send)
	 * triggers it.
	 * @param reason optional note on who asked and why, logged with the request
	 */
	@WriteOperation
	public MigrationsResponse apply(@Nullable String reason) {
		logger.info("Apply requested through the migrations endpoint"
				+ ((reason != null) ? ": " + oneLine(reason) : ""));
		this.monitor.apply();
		return status();
	}

	private static String oneLine(String text) {
		// The reason comes from the request: it must not forge log lines.
		String line = text.replaceAll("[\\r\\n\\t]+", " ").strip();
		return (line.length() > 200) ? line.substring(0, 200) + "..." : line;
	}

}
