package dev.lockstep.core.targets;

import java.util.List;
import java.util.function.Supplier;

/**
 * Lists the tenants of one target, read again whenever the target's tenants are listed (at startup, and when a
 * tenant not known yet is migrated). An application whose tenants live in its own registry provides one as a bean
 * instead of {@code tenants.schemas} or {@code tenants.query}.
 */
public interface TenantSource {

	/** The name of the target whose tenants these are. */
	String target();

	/** The target's tenants now. */
	List<Tenant> tenants();

	static TenantSource of(String target, Supplier<List<Tenant>> tenants) {
		return new TenantSource() {

			@Override
			public String target() {
				return target;
			}

			@Override
			public List<Tenant> tenants() {
				return tenants.get();
			}

		};
	}

}
