// Command ketnap serves and manages ketnap, the system a party committee uses
// to steer the admission of new party members across its organizations.
//
// Usage:
//
//	ketnap serve    [flags]   serve the GraphQL API and the dashboard
//	ketnap migrate  [flags]   apply the database migrations
//	ketnap import   FILE      import records from an .xlsx or .csv file
//	ketnap seed     demo|synthetic [flags]   load demo or synthetic data
//	ketnap user     COMMAND   add, list, disable users and set passwords
//	ketnap stats    verify|rebuild   compare the statistics with a rebuild, or rebuild them
//	ketnap backup   --out FILE   copy the embedded database while it is in use
//	ketnap restore  FILE      check a backup and put it in place
//	ketnap version            print the version
//
// Run `ketnap COMMAND -h` for a command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"ketnap/internal/access/viewer"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// command is one subcommand of ketnap.
type command struct {
	name  string
	short string
	run   func(ctx context.Context, args []string, env env) error
}

// env is what a command may touch outside its arguments.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	log    *slog.Logger
}

var commands = []command{
	{"serve", "serve the GraphQL API and the dashboard", runServe},
	{"migrate", "apply the database migrations", runMigrate},
	{"import", "import records from an .xlsx or .csv file", runImport},
	{"seed", "load demo or synthetic data (seed demo | seed synthetic --scale S|M|L)", runSeed},
	{"user", "add, list, disable users and set passwords", runUser},
	{"stats", "check or repair the pre-aggregated statistics (stats verify | stats rebuild)", runStats},
	{"backup", "copy the embedded database while the server runs (backup --out FILE)", runBackup},
	{"restore", "check a backup and put it in place (restore FILE [--yes])", runRestore},
	{"version", "print the version", func(_ context.Context, _ []string, e env) error {
		_, err := fmt.Fprintln(e.stdout, "ketnap", version)
		return err
	}},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	}
	if err := run(ctx, os.Args[1:], e); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "ketnap:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		usage(e.stderr)
		return errors.New("a command is required")
	}
	for _, c := range commands {
		if c.name == args[0] {
			if c.name != "serve" {
				// The command line is the operator's: it acts as the system.
				// The server gives each request its signed-in viewer.
				ctx = viewer.SystemContext(ctx)
			}
			return c.run(ctx, args[1:], e)
		}
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		return nil
	}
	usage(e.stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: ketnap COMMAND [flags]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.short)
	}
}
