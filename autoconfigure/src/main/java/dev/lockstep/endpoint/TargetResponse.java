package dev.lockstep.endpoint;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The document of one target without tenants ({@code /actuator/migrations/targets/{target}}) or of one tenant
 * ({@code /actuator/migrations/targets/{target}/{tenant}}): the root document's fields for it, after its name. A
 * tenant whose last apply failed in this process is {@code FAILED}, with what to do in {@code action}; the failure
 * is in {@code lastRun.error}, or in {@code error} when it came before any changeset ran (its schema could not be
 * created...).
 */
@JsonPropertyOrder({ "target", "tenant", "document", "action" })
public final class TargetResponse implements OperationResponseBody {

	private final String target;

	private final @Nullable String tenant;

	private final MigrationsDescriptor document;

	private final @Nullable String action;

	TargetResponse(String target, @Nullable String tenant, MigrationsDescriptor document, @Nullable String action) {
		this.target = target;
		this.tenant = tenant;
		this.document = document;
		this.action = action;
	}

	/** The target's name. */
	public String getTarget() {
		return this.target;
	}

	/** The tenant's id, in a tenant's document. */
	public @Nullable String getTenant() {
		return this.tenant;
	}

	/** The status document of the target or tenant. */
	@JsonUnwrapped
	public MigrationsDescriptor getDocument() {
		return this.document;
	}

	/** What to do about the tenant's failure, when it failed. */
	public @Nullable String getAction() {
		return this.action;
	}

}
