package dev.lockstep.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.TenantFleet;

/**
 * Reads something of every tenant, {@code migrations.parallelism} tenants at a time (a fleet of hundreds is read in
 * seconds, not minutes), keeping the tenants' order and each tenant's failure instead of stopping at the first.
 */
final class TenantReads {

	private TenantReads() {
	}

	/**
	 * What was read of one tenant.
	 *
	 * @param tenant the tenant
	 * @param value what was read, or {@code null} when the read failed
	 * @param error why it failed, or {@code null}
	 */
	record Read<T>(MigrationTenant tenant, @Nullable T value, @Nullable RuntimeException error) {

		boolean failed() {
			return this.error != null;
		}

	}

	static <T> List<Read<T>> each(TenantFleet fleet, List<MigrationTenant> tenants, Function<MigrationTenant, T> read) {
		List<Read<T>> reads = new ArrayList<>(tenants.size());
		if (tenants.isEmpty()) {
			return reads;
		}
		AtomicInteger count = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(Math.min(fleet.parallelism(), tenants.size()),
				(runnable) -> {
					Thread thread = new Thread(runnable, "lockstep-command-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		try {
			List<CompletableFuture<Read<T>>> futures = tenants.stream()
				.map((tenant) -> CompletableFuture.supplyAsync(() -> readOne(tenant, read), executor))
				.toList();
			futures.forEach((future) -> reads.add(future.join()));
		}
		finally {
			executor.shutdownNow();
		}
		return reads;
	}

	private static <T> Read<T> readOne(MigrationTenant tenant, Function<MigrationTenant, T> read) {
		try {
			return new Read<>(tenant, read.apply(tenant), null);
		}
		catch (RuntimeException ex) {
			return new Read<>(tenant, null, ex);
		}
	}

}
