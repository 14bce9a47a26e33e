package dev.lockstep.endpoint;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import dev.lockstep.core.problem.ApplyInProgressException;
import dev.lockstep.core.problem.MigrationException;

/**
 * HTTP statuses for {@code /actuator/migrations}: for {@code /{part}}, {@code 404} for an unknown part and
 * {@code 503} with the reason when the database cannot be read to answer {@code /pending} (instead of a bare
 * {@code 500} and a logged stack trace per request); for {@code POST}, a failed apply answers {@code 500} with the
 * status document, which names the failure in {@code lastRun}, {@code 409} when a run of this instance is applying
 * already, and {@code 415} (from Spring MVC) for a request that is not {@code application/json}. The root
 * {@code GET} needs no extension: it reports {@code UNAVAILABLE} itself.
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
	 * Why an apply was refused: another one is running.
	 *
	 * @param state always {@code MIGRATING}
	 * @param error what is going on
	 * @param action what to do
	 */
	public record InProgressDescriptor(String state, String error, String action) implements OperationResponseBody {
	}

}
