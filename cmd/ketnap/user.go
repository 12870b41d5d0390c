package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"ketnap/ent"
	"ketnap/ent/organization"
	"ketnap/ent/user"
	"ketnap/internal/access/viewer"
	"ketnap/internal/apperr"
	"ketnap/internal/auth"
	"ketnap/internal/db"
)

// userUsage lists the user subcommands.
const userUsage = `Usage: ketnap user COMMAND [flags]

Commands:
  add      --username U --role ADMIN|ANALYST|VIEWER [--org CODE] [--password-stdin]
  list
  disable  --username U
  passwd   --username U [--password-stdin]

Outside demo mode there is no default user: 'ketnap user add --role ADMIN'
makes the first administrator.`

// runUser manages users from the command line, as the system viewer.
func runUser(ctx context.Context, args []string, e env) error {
	sub, args, done, err := subcommand("user", userUsage, args, e)
	if done {
		return err
	}
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := dbFlag(fs, e)
	var username, role, org *string
	var fromStdin *bool
	switch sub {
	case "add":
		role = fs.String("role", "", "ADMIN, ANALYST or VIEWER")
		org = fs.String("org", "", "code of the organization whose subtree an ANALYST or VIEWER sees")
		fallthrough
	case "passwd":
		fromStdin = fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of a prompt")
		fallthrough
	case "disable":
		username = fs.String("username", "", "the user's name (lower-case letters, digits, . _ -)")
	case "list":
	default:
		fmt.Fprintln(e.stderr, userUsage)
		return fmt.Errorf("user: unknown command %q", sub)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user %s: unexpected argument %q", sub, fs.Arg(0))
	}
	if username != nil && strings.TrimSpace(*username) == "" {
		return fmt.Errorf("user %s: --username is required", sub)
	}
	if err := validateDB(*dsn); err != nil {
		return err
	}
	d, err := db.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := prepareSchema(ctx, d, false, e); err != nil {
		return err
	}
	ctx = viewer.SystemContext(ctx)
	svc := auth.NewService(d.Client, e.log)
	switch sub {
	case "add":
		return userAdd(ctx, d.Client, svc, e, *username, *role, *org, *fromStdin)
	case "passwd":
		pw, err := readPassword(e, *fromStdin)
		if err != nil {
			return err
		}
		return withTx(ctx, d.Client, func(c *ent.Client) error {
			id, err := c.User.Query().Where(user.Username(auth.NormalizeUsername(*username))).OnlyID(ctx)
			if err != nil {
				return userErr(*username, err)
			}
			_, err = svc.SetPassword(ctx, c, id, pw)
			return userErr(*username, err)
		})
	case "disable":
		return withTx(ctx, d.Client, func(c *ent.Client) error {
			id, err := c.User.Query().Where(user.Username(auth.NormalizeUsername(*username))).OnlyID(ctx)
			if err != nil {
				return userErr(*username, err)
			}
			_, err = svc.DisableUser(ctx, c, id)
			return userErr(*username, err)
		})
	default:
		return userList(ctx, d.Client, e)
	}
}

func userAdd(ctx context.Context, client *ent.Client, svc *auth.Service, e env, username, role, org string, fromStdin bool) error {
	r := user.Role(strings.ToUpper(role))
	if err := user.RoleValidator(r); err != nil {
		return fmt.Errorf("user add: --role must be ADMIN, ANALYST or VIEWER, got %q", role)
	}
	var orgID *int
	if org != "" {
		id, err := client.Organization.Query().Where(organization.Code(org)).OnlyID(ctx)
		if ent.IsNotFound(err) {
			return fmt.Errorf("user add: --org: no organization has code %q", org)
		}
		if err != nil {
			return fmt.Errorf("finding organization: %w", err)
		}
		orgID = &id
	}
	pw, err := readPassword(e, fromStdin)
	if err != nil {
		return err
	}
	return withTx(ctx, client, func(c *ent.Client) error {
		u, err := svc.CreateUser(ctx, c, auth.NewUser{Username: username, Password: pw, Role: r, OrganizationID: orgID})
		if ent.IsConstraintError(err) {
			return fmt.Errorf("user add: the username %q is taken", auth.NormalizeUsername(username))
		}
		if err != nil {
			return userErr(username, err)
		}
		fmt.Fprintf(e.stdout, "created %s (%s)\n", u.Username, u.Role)
		return nil
	})
}

func userList(ctx context.Context, client *ent.Client, e env) error {
	users, err := client.User.Query().WithOrganization().Order(ent.Asc(user.FieldUsername)).All(ctx)
	if err != nil {
		return fmt.Errorf("listing users: %w", err)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "USERNAME\tROLE\tORGANIZATION\tSTATUS")
	for _, u := range users {
		org, status := "-", "active"
		if o := u.Edges.Organization; o != nil {
			org = o.Code
		}
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Username, u.Role, org, status)
	}
	return w.Flush()
}

// readPassword reads a new password: from the first line of standard input,
// or typed twice at a terminal prompt without echo.
func readPassword(e env, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("--password-stdin: reading the password: %w", err)
		}
		pw := strings.TrimRight(line, "\r\n")
		return pw, auth.ValidatePassword(pw)
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("no terminal to ask for the password: use --password-stdin")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(e.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		return string(b), nil
	}
	pw, err := ask("Mật khẩu / password: ")
	if err != nil {
		return "", err
	}
	if err := auth.ValidatePassword(pw); err != nil {
		return "", err
	}
	again, err := ask("Nhập lại / again: ")
	if err != nil {
		return "", err
	}
	if again != pw {
		return "", errors.New("the passwords do not match")
	}
	return pw, nil
}

// withTx runs fn in one transaction.
func withTx(ctx context.Context, client *ent.Client, fn func(*ent.Client) error) error {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	if err := fn(tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// userErr names the user in a not-found error and keeps others as they are.
func userErr(username string, err error) error {
	if ent.IsNotFound(err) {
		return fmt.Errorf("no user named %q", auth.NormalizeUsername(username))
	}
	if ae, ok := apperr.As(err); ok {
		return errors.New(ae.Error())
	}
	return err
}

// subcommand splits a command's arguments into its subcommand and the rest.
// With none, or asking for help, it prints usage and reports done, with an
// error when no subcommand was named.
func subcommand(cmd, usage string, args []string, e env) (sub string, rest []string, done bool, err error) {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(e.stderr, usage)
		if len(args) == 0 {
			return "", nil, true, errors.New(cmd + ": a command is required")
		}
		return "", nil, true, nil
	}
	return args[0], args[1:], false, nil
}
