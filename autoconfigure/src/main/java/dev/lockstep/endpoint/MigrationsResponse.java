package dev.lockstep.endpoint;

import com.fasterxml.jackson.annotation.JsonValue;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The body of {@code GET} and {@code POST /actuator/migrations}: the {@link MigrationsDescriptor} itself (its
 * fields, not wrapped), written by Actuator's own JSON mapper, whatever the application configures for its own
 * JSON (that is what {@link OperationResponseBody} asks for).
 */
public final class MigrationsResponse implements OperationResponseBody {

	private final MigrationsDescriptor descriptor;

	MigrationsResponse(MigrationsDescriptor descriptor) {
		this.descriptor = descriptor;
	}

	/**
	 * The document.
	 * @return the descriptor
	 */
	@JsonValue
	public MigrationsDescriptor descriptor() {
		return this.descriptor;
	}

}
