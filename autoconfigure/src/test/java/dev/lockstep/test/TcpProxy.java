package dev.lockstep.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on a free loopback port that forwards to a database and can fail the way networks fail: drop every
 * connection (both sides closed at once, as a reset link or a restarted load balancer does) or blackhole them
 * (sockets stay open, nothing is forwarded any more: a cut cable, a dead NAT entry). Connections opened while
 * blackholed are accepted and carry nothing either.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final List<Link> links = new ArrayList<>();

	private volatile boolean blackholed;

	private volatile boolean closed;

	private TcpProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptUntilClosed, "tcp-proxy-accept-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** Starts a proxy that forwards to the given host and port. */
	public static TcpProxy start(String targetHost, int targetPort) {
		try {
			return new TcpProxy(targetHost, targetPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The port the proxy listens on (loopback). */
	public int port() {
		return this.server.getLocalPort();
	}

	/** A PostgreSQL JDBC URL of the given database, through this proxy. */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://" + this.server.getInetAddress().getHostAddress() + ":" + port() + "/" + database;
	}

	/** Closes both sides of every connection; new connections are forwarded again. */
	public void drop() {
		closeLinks();
	}

	/** Keeps every connection open but forwards nothing any more, on old and new connections alike. */
	public void blackhole() {
		this.blackholed = true;
	}

	/** Ends a blackhole: closes every connection (both sides) and forwards new ones again. */
	public void heal() {
		synchronized (this.links) {
			this.blackholed = false;
			closeLinks();
		}
	}

	/** How many connections are open through the proxy. */
	public int openConnections() {
		synchronized (this.links) {
			return this.links.size();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.server);
		closeLinks();
	}

	private void acceptUntilClosed() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			Socket upstream = new Socket();
			try {
				upstream.connect(new InetSocketAddress(this.targetHost, this.targetPort), 5000);
			}
			catch (IOException ex) {
				closeQuietly(client);
				closeQuietly(upstream);
				continue;
			}
			Link link = new Link(client, upstream);
			synchronized (this.links) {
				this.links.add(link);
			}
			link.start();
		}
	}

	private void closeLinks() {
		List<Link> current;
		synchronized (this.links) {
			current = new ArrayList<>(this.links);
			this.links.clear();
		}
		current.forEach(Link::close);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Closing is all we wanted.
		}
	}

	/** One proxied connection: a pump each way. */
	private final class Link {

		private final Socket client;

		private final Socket upstream;

		Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		void start() {
			pump(this.client, this.upstream, "up");
			pump(this.upstream, this.client, "down");
		}

		private void pump(Socket from, Socket to, String direction) {
			Thread thread = new Thread(() -> {
				byte[] buffer = new byte[16384];
				// Not closed by a try-with-resources: closing a stream closes its socket, and a blackhole passes
				// nothing on, not even the end of a connection.
				try {
					InputStream in = from.getInputStream();
					OutputStream out = to.getOutputStream();
					int read;
					while ((read = in.read(buffer)) >= 0) {
						// Blackholed: read and discard, so that both ends see an open, silent connection.
						if (!TcpProxy.this.blackholed) {
							out.write(buffer, 0, read);
							out.flush();
						}
					}
				}
				catch (IOException ex) {
					// One side closed.
				}
				finally {
					// A side that ends ends the whole link, unless blackholed: then nothing is passed on.
					if (!TcpProxy.this.blackholed) {
						close();
					}
				}
			}, "tcp-proxy-" + direction + "-" + from.getPort());
			thread.setDaemon(true);
			thread.start();
		}

		void close() {
			closeQuietly(this.client);
			closeQuietly(this.upstream);
			synchronized (TcpProxy.this.links) {
				TcpProxy.this.links.remove(this);
			}
		}

	}

}
