package dev.lockstep.benchmarks;

import java.util.Arrays;

/**
 * One jar, two roles: {@code harness} runs the benchmarks; anything else starts the benchmark application (in
 * the variant the harness asks for).
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("harness")) {
			Harness.main(Arrays.copyOfRange(args, 1, args.length));
		}
		else {
			BenchmarkApplication.main(args);
		}
	}

}
