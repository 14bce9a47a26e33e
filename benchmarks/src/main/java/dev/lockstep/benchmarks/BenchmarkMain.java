package dev.lockstep.benchmarks;

import java.util.Arrays;

/**
 * One jar, several roles: {@code harness} runs the benchmarks; {@code tenant-run} migrates a fleet of tenant schemas
 * once ({@link TenantRun}); {@code postgres} starts the harness's PostgreSQL and waits (to run one of them by hand,
 * e.g. with a profiler); anything else starts the benchmark application (in the variant the harness asks for).
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("harness")) {
			Harness.main(Arrays.copyOfRange(args, 1, args.length));
		}
		else if (args.length > 0 && args[0].equals("postgres")) {
			Harness.serve();
		}
		else if (args.length > 0 && args[0].equals("tenant-run")) {
			TenantRun.main(Arrays.copyOfRange(args, 1, args.length));
		}
		else {
			BenchmarkApplication.main(args);
		}
	}

}
