package dev.lockstep.endpoint;

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
 * part {@code 404}), without touching the database. There is no write operation: nothing may be applied while
 * switched off.
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsDisabledEndpoint {

	private static final DisabledDescriptor DISABLED = new DisabledDescriptor(SchemaState.DISABLED.name());

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

	/**
	 * What the endpoint says while migrations are switched off.
	 *
	 * @param state always {@code DISABLED}
	 */
	public record DisabledDescriptor(String state) implements OperationResponseBody {
	}

}
