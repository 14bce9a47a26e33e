package dev.lockstep.sample;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Orders. A customer's orders, newest first, use the index of release 1.3.0.
 */
@RestController
@RequestMapping("/orders")
class OrderController {

	private static final String SELECT = "SELECT id, customer_id, total_cents, status, created_at FROM orders";

	private final JdbcClient jdbc;

	OrderController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@GetMapping
	List<Order> list(@RequestParam(required = false) Long customerId) {
		if (customerId == null) {
			return this.jdbc.sql(SELECT + " ORDER BY id").query(Order.class).list();
		}
		return this.jdbc.sql(SELECT + " WHERE customer_id = :customerId ORDER BY created_at DESC, id DESC")
			.param("customerId", customerId)
			.query(Order.class)
			.list();
	}

	@GetMapping("/{id}")
	Order get(@PathVariable long id) {
		return this.jdbc.sql(SELECT + " WHERE id = :id")
			.param("id", id)
			.query(Order.class)
			.optional()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
	}

	@PostMapping
	ResponseEntity<Order> create(@RequestBody NewOrder order) {
		if (order.customerId() == null || order.totalCents() == null || order.totalCents() < 0) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"An order needs a customerId and a totalCents of 0 or more");
		}
		boolean known = this.jdbc.sql("SELECT count(*) FROM customers WHERE id = :id")
			.param("id", order.customerId())
			.query(Long.class)
			.single() > 0;
		if (!known) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "No customer " + order.customerId());
		}
		Order created = this.jdbc
			.sql("INSERT INTO orders (customer_id, total_cents, status) VALUES (:customerId, :totalCents, 'PLACED') "
					+ "RETURNING id, customer_id, total_cents, status, created_at")
			.param("customerId", order.customerId())
			.param("totalCents", order.totalCents())
			.query(Order.class)
			.single();
		return ResponseEntity.created(URI.create("/orders/" + created.id())).body(created);
	}

	/**
	 * What a client sends to place an order.
	 *
	 * @param customerId who places it
	 * @param totalCents its total, in cents
	 */
	record NewOrder(Long customerId, Long totalCents) {
	}

}
