package dev.lockstep.endpoint;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.UnknownTargetException;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.MigrationsRegistry;

/**
 * {@code /actuator/migrations}: where the schema stands, the history, what is pending with its SQL, and the drift
 * ({@code /drift}, checked afresh at most once per {@code migrations.status.cache-ttl}). Served from the monitor's
 * cached status. Read-only by default; granting unrestricted access enables
 * {@code POST /actuator/migrations}, which applies pending changesets under the lock.
 * <p>
 * With named targets ({@code migrations.targets.*}), the root document (the default target's) adds
 * {@code targets}, where each stands; {@code /targets/{target}} is a target's document (for a target with tenants,
 * the fleet and its tenants, {@code ?state=FAILED} for those in one state), {@code /targets/{target}/{tenant}} a
 * tenant's, and {@code /history}, {@code /pending} and {@code /drift} follow either
 * ({@code /targets/billing/pending}, {@code /targets/tenants/tenant_42/history}).
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsEndpoint {

	private static final Log logger = LogFactory.getLog(MigrationsEndpoint.class);

	private final MigrationMonitor monitor;

	private final String changeLog;

	private final @Nullable MigrationsRegistry registry;

	public MigrationsEndpoint(MigrationMonitor monitor, String changeLog) {
		this(monitor, changeLog, null);
	}

	/**
	 * @param monitor the default target's monitor
	 * @param changeLog the default target's master changelog
	 * @param registry every target, or {@code null} to serve the default target only
	 */
	public MigrationsEndpoint(MigrationMonitor monitor, String changeLog, @Nullable MigrationsRegistry registry) {
		this.monitor = monitor;
		this.changeLog = changeLog;
		this.registry = registry;
	}

	@ReadOperation
	public MigrationsResponse status() {
		MigrationsDescriptor descriptor = MigrationsDescriptor.of(this.monitor.snapshot(), this.changeLog);
		if (this.registry == null || this.registry.targets().size() < 2) {
			return new MigrationsResponse(descriptor);
		}
		return new MigrationsResponse(descriptor, TargetSummaryDescriptor.ofNamed(this.registry.targets()));
	}

	@ReadOperation
	public @Nullable OperationResponseBody part(@Selector String part) {
		return part(this.monitor, part);
	}

	/**
	 * A target's document: {@code /targets/{target}}.
	 * @param targets always {@code targets}
	 * @param target the target's name
	 * @param state lists only the tenants in this state (for a target with tenants)
	 * @return the document, or {@code null} for an unknown target
	 */
	@ReadOperation
	public @Nullable OperationResponseBody target(@Selector String targets, @Selector String target,
			@Nullable String state) {
		try {
			return targetDocument(targets, target, state);
		}
		catch (UnknownTargetException ex) {
			return null;
		}
	}

	/**
	 * A tenant's document ({@code /targets/{target}/{tenant}}), or a part of a target without tenants
	 * ({@code /targets/{target}/history}).
	 * @param targets always {@code targets}
	 * @param target the target's name
	 * @param tenant the tenant's id, or the part for a target without tenants
	 * @return the document, or {@code null} for an unknown target, tenant or part
	 */
	@ReadOperation
	public @Nullable OperationResponseBody tenant(@Selector String targets, @Selector String target,
			@Selector String tenant) {
		try {
			return tenantDocument(targets, target, tenant);
		}
		catch (UnknownTargetException ex) {
			return null;
		}
	}

	/**
	 * A part of a tenant's document: {@code /targets/{target}/{tenant}/history}.
	 * @param targets always {@code targets}
	 * @param target the target's name
	 * @param tenant the tenant's id
	 * @param part {@code history}, {@code pending} or {@code drift}
	 * @return the document, or {@code null} for an unknown target, tenant or part
	 */
	@ReadOperation
	public @Nullable OperationResponseBody tenantPart(@Selector String targets, @Selector String target,
			@Selector String tenant, @Selector String part) {
		try {
			return tenantPartDocument(targets, target, tenant, part);
		}
		catch (UnknownTargetException ex) {
			return null;
		}
	}

	@Nullable OperationResponseBody targetDocument(String targets, String name, @Nullable String state) {
		MigrationTarget target = target(targets, name);
		if (target == null) {
			return null;
		}
		if (target.hasTenants()) {
			return TenantsDescriptor.of(target, schemaState(state));
		}
		return new TargetResponse(target.name(), null,
				MigrationsDescriptor.of(target.monitor().snapshot(), changeLog(target)), null);
	}

	@Nullable OperationResponseBody tenantDocument(String targets, String name, String tenantOrPart) {
		MigrationTarget target = target(targets, name);
		if (target == null) {
			return null;
		}
		if (!target.hasTenants()) {
			return part(target.monitor(), tenantOrPart);
		}
		MigrationTenant tenant = target.tenant(tenantOrPart);
		SchemaState state = tenant.state();
		MigrationsDescriptor document = MigrationsDescriptor.of(tenant.snapshot(),
				tenant.engine().settings().changeLog());
		TenantProblem problem = (tenant.failure() != null) ? TenantProblem.of(tenant, state) : null;
		String error = document.error();
		if (error == null && problem != null && (document.lastRun() == null
				|| !Objects.equals(document.lastRun().error(), problem.error()))) {
			// A failure before any changeset ran (its schema could not be created...): lastRun does not name it.
			error = problem.error();
		}
		return new TargetResponse(target.name(), tenant.id(), document.with(state.name(), error),
				(problem != null) ? problem.action() : null);
	}

	@Nullable OperationResponseBody tenantPartDocument(String targets, String name, String tenant, String part) {
		MigrationTarget target = target(targets, name);
		return (target != null) ? part(target.tenant(tenant).monitor(), part) : null;
	}

	/** The target, {@code null} when the path does not start with {@code targets}. */
	private @Nullable MigrationTarget target(String targets, String name) {
		if (!"targets".equals(targets) || this.registry == null) {
			return null;
		}
		return this.registry.target(name);
	}

	private String changeLog(MigrationTarget target) {
		return MigrationTarget.DEFAULT.equals(target.name()) ? this.changeLog
				: target.engine().settings().changeLog();
	}

	private static @Nullable SchemaState schemaState(@Nullable String state) {
		if (state == null || state.isBlank()) {
			return null;
		}
		try {
			return SchemaState.valueOf(state.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEndpointRequestException("There is no state " + state + " (states: "
					+ Arrays.toString(SchemaState.values()) + ")", "Unknown state " + state);
		}
	}

	private static @Nullable OperationResponseBody part(MigrationMonitor monitor, String part) {
		return switch (part) {
			case "history" -> HistoryDescriptor.of(monitor.snapshot().history());
			case "pending" -> PendingDescriptor.of(monitor.pendingSql());
			case "drift" -> DriftDescriptor.of(monitor.freshDrift());
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
