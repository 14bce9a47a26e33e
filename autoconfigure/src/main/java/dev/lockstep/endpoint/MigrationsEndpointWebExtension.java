package dev.lockstep.endpoint;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import dev.lockstep.core.problem.ApplyInProgressException;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.UnknownTargetException;

/**
 * HTTP statuses for {@code /actuator/migrations}: for {@code /{part}}, {@code 404} for an unknown part and
 * {@code 503} with the reason when the database cannot be read to answer {@code /pending} (instead of a bare
 * {@code 500} and a logged stack trace per request); for {@code POST}, a failed apply answers {@code 500} with the
 * status document, which names the failure in {@code lastRun}, {@code 409} when a run of this instance is applying
 * already, and {@code 415} (from Spring MVC) for a request that is not {@code application/json}. The root
 * {@code GET} needs no extension: it reports {@code UNAVAILABLE} itself. Under {@code /targets}, an unknown target
 * or tenant answers {@code 404} with what is known ({@code error} and {@code action}), a target whose tenants cannot
 * be listed {@code 503}, an unknown {@code ?state=} {@code 400}.
 */
@EndpointWebExtension(endpoint = MigrationsEndpoint.class)
public class MigrationsEndpointWebExtension {

	private static final int STATUS_CONFLICT = 409;

	private final MigrationsEndpoint delegate;

	public MigrationsEndpointWebExtension(MigrationsEndpoint delegate) {
		this.delegate = delegate;
	}

	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> part(@Selector String part) {
		try {
			OperationResponseBody body = this.delegate.part(part);
			return (body != null) ? new WebEndpointResponse<>(body)
					: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (MigrationException ex) {
			return new WebEndpointResponse<>(new UnavailableDescriptor("UNAVAILABLE", ex.getMessage()),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

	/** {@code /targets/{target}}: see {@link MigrationsEndpoint#target}. */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> target(@Selector String targets, @Selector String target,
			@Nullable String state) {
		return respond(() -> this.delegate.targetDocument(targets, target, state));
	}

	/** {@code /targets/{target}/{tenant}} (or {@code /{part}}): see {@link MigrationsEndpoint#tenant}. */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> tenant(@Selector String targets, @Selector String target,
			@Selector String tenant) {
		return respond(() -> this.delegate.tenantDocument(targets, target, tenant));
	}

	/** {@code /targets/{target}/{tenant}/{part}}: see {@link MigrationsEndpoint#tenantPart}. */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> tenantPart(@Selector String targets, @Selector String target,
			@Selector String tenant, @Selector String part) {
		return respond(() -> this.delegate.tenantPartDocument(targets, target, tenant, part));
	}

	private static WebEndpointResponse<OperationResponseBody> respond(
			Supplier<@Nullable OperationResponseBody> document) {
		try {
			OperationResponseBody body = document.get();
			return (body != null) ? new WebEndpointResponse<>(body)
					: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (UnknownTargetException ex) {
			return new WebEndpointResponse<>(new NotFoundDescriptor(ex.getMessage(), ex.action()),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		catch (MigrationException ex) {
			return new WebEndpointResponse<>(new UnavailableDescriptor("UNAVAILABLE", ex.getMessage()),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

	/**
	 * Applies pending changesets now, under the lock (needs unrestricted access to the endpoint). Only
	 * {@code application/json} requests reach it (others get {@code 415}); while a run of this instance applies,
	 * another request gets {@code 409}.
	 * @param reason optional note on who asked and why, logged with the request
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> apply(@Nullable String reason) {
		try {
			return new WebEndpointResponse<>(this.delegate.apply(reason));
		}
		catch (ApplyInProgressException ex) {
			return new WebEndpointResponse<>(new InProgressDescriptor("MIGRATING", ex.getMessage(), ex.action()),
					STATUS_CONFLICT);
		}
		catch (MigrationException ex) {
			OperationResponseBody status;
			try {
				status = this.delegate.status();
			}
			catch (RuntimeException statusFailure) {
				status = new UnavailableDescriptor("UNAVAILABLE", ex.getMessage());
			}
			return new WebEndpointResponse<>(status, WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	/**
	 * Why a part could not be served.
	 *
	 * @param state always {@code UNAVAILABLE}
	 * @param error why the database could not be read
	 */
	public record UnavailableDescriptor(String state, String error) implements OperationResponseBody {
	}

	/**
	 * Why there is no such target or tenant.
	 *
	 * @param error what was not found
	 * @param action which targets or tenants there are
	 */
	public record NotFoundDescriptor(String error, String action) implements OperationResponseBody {
	}

	/**
	 * Why an apply was refused: another one is running.
	 *
	 * @param state always {@code MIGRATING}
	 * @param error what is going on
	 * @param action what to do
	 */
	public record InProgressDescriptor(String state, String error, String action) implements OperationResponseBody {
	}

}
