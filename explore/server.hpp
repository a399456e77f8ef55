// explore/server.hpp — the explorer's Api (explore/api.hpp) behind an HTTP
// server: cpp-httplib, from Debian's libcpp-httplib-dev. Nothing here
// parses HTTP; this file only binds, hands each request to Api::handle and
// stops when asked.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "agree/explore/api.hpp"

namespace agree::explore {

struct ServeOptions {
  std::string bind = "127.0.0.1";  // loopback unless the user says otherwise
  int port = 8765;                 // 0: any free port
  ApiOptions api;                  // allowed_hosts is filled in for a loopback bind
  // Called once the server listens, with the port it got (before the first request).
  std::function<void(int port)> ready;
  const std::atomic<bool>* stop = nullptr;  // set (by a signal handler): the server stops within 0.1 s
};

// Is this address one of the machine's loopback ones (127.0.0.0/8, ::1, localhost)?
bool is_loopback(const std::string& address);

// Serves until *o.stop is set. Returns "" after a clean stop, else why the
// server could not run ("cannot listen on 127.0.0.1:8765: ...").
std::string serve(Session& session, ServeOptions o);

}  // namespace agree::explore
