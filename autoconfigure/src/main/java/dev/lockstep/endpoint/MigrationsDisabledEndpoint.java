package dev.lockstep.endpoint;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.lockstep.core.api.SchemaState;

/**
 * {@code /actuator/migrations} while migrations are switched off ({@code migrations.enabled=false}): every read
 * answers {@code {"state":"DISABLED"}} ({@code /history}, {@code /pending} and {@code /drift} too, an unknown
 * part {@code 404}), without touching the database; so do the documents of the configured targets and their
 * tenants ({@code /targets/{target}}, {@code /targets/{target}/{tenant}}). There is no write operation: nothing may
 * be applied while switched off.
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsDisabledEndpoint {

	private static final DisabledDescriptor DISABLED = new DisabledDescriptor(SchemaState.DISABLED.name());

	private final Set<String> targets = new LinkedHashSet<>();

	public MigrationsDisabledEndpoint() {
		this(Set.of());
	}

	/**
	 * @param targets the names of the configured targets ({@code default} is always one)
	 */
	public MigrationsDisabledEndpoint(Collection<String> targets) {
		this.targets.add("default");
		this.targets.addAll(targets);
	}

	@ReadOperation
	public DisabledDescriptor status() {
		return DISABLED;
	}

	@ReadOperation
	public @Nullable DisabledDescriptor part(@Selector String part) {
		return switch (part) {
			case "history", "pending", "drift" -> DISABLED;
			default -> null;
		};
	}

	@ReadOperation
	public @Nullable DisabledDescriptor target(@Selector String targets, @Selector String target) {
		return isTarget(targets, target) ? DISABLED : null;
	}

	@ReadOperation
	public @Nullable DisabledDescriptor tenant(@Selector String targets, @Selector String target,
			@Selector String tenant) {
		// The tenants are not listed while switched off: any tenant (or part) of a configured target is DISABLED.
		return isTarget(targets, target) ? DISABLED : null;
	}

	@ReadOperation
	public @Nullable DisabledDescriptor tenantPart(@Selector String targets, @Selector String target,
			@Selector String tenant, @Selector String part) {
		return isTarget(targets, target) ? part(part) : null;
	}

	private boolean isTarget(String targets, String target) {
		return "targets".equals(targets) && this.targets.contains(target);
	}

	/**
	 * What the endpoint says while migrations are switched off.
	 *
	 * @param state always {@code DISABLED}
	 */
	public record DisabledDescriptor(String state) implements OperationResponseBody {
	}

}
