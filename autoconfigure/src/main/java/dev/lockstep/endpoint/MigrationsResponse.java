package dev.lockstep.endpoint;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The body of {@code GET} and {@code POST /actuator/migrations}: the {@link MigrationsDescriptor} itself (its
 * fields, not wrapped), written by Actuator's own JSON mapper, whatever the application configures for its own
 * JSON (that is what {@link OperationResponseBody} asks for); with named targets configured, followed by
 * {@code targets}, where each stands.
 */
@JsonPropertyOrder({ "descriptor", "targets" })
public final class MigrationsResponse implements OperationResponseBody {

	private final MigrationsDescriptor descriptor;

	private final @Nullable Map<String, TargetSummaryDescriptor> targets;

	MigrationsResponse(MigrationsDescriptor descriptor) {
		this(descriptor, null);
	}

	MigrationsResponse(MigrationsDescriptor descriptor, @Nullable Map<String, TargetSummaryDescriptor> targets) {
		this.descriptor = descriptor;
		this.targets = targets;
	}

	/**
	 * The document.
	 * @return the descriptor
	 */
	@JsonProperty
	@JsonUnwrapped
	public MigrationsDescriptor descriptor() {
		return this.descriptor;
	}

	/**
	 * The named targets, where each stands; {@code null} (and absent) without named targets.
	 * @return the targets by name
	 */
	@JsonProperty
	@JsonInclude(JsonInclude.Include.NON_EMPTY)
	public @Nullable Map<String, TargetSummaryDescriptor> targets() {
		return this.targets;
	}

}
