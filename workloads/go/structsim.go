// A struct-heavy particle simulation: small value types (Vec, Bounds)
// passed by pointer to helpers that compute forces, clamp positions and
// accumulate statistics. Go's escape analysis keeps the temporaries of
// every step on the stack; only the particles and the per-step history
// live on the heap.
// Usage: structsim [particles steps] (default 400 60)
package main

import (
	"fmt"
	"os"
	"strconv"
)

type Vec struct {
	X, Y, Z float64
}

func (v *Vec) Add(o *Vec)        { v.X += o.X; v.Y += o.Y; v.Z += o.Z }
func (v *Vec) Scale(f float64)   { v.X *= f; v.Y *= f; v.Z *= f }
func (v *Vec) Dot(o *Vec) float64 { return v.X*o.X + v.Y*o.Y + v.Z*o.Z }
func sub(a, b, out *Vec)           { out.X, out.Y, out.Z = a.X-b.X, a.Y-b.Y, a.Z-b.Z }

type Particle struct {
	Pos, Vel Vec
	Mass     float64
	ID       int
}

type Bounds struct {
	Min, Max Vec
}

func (b *Bounds) Clamp(p *Particle) int {
	bounced := 0
	lo, hi := &b.Min, &b.Max
	if p.Pos.X < lo.X || p.Pos.X > hi.X {
		p.Vel.X = -p.Vel.X
		bounced++
	}
	if p.Pos.Y < lo.Y || p.Pos.Y > hi.Y {
		p.Vel.Y = -p.Vel.Y
		bounced++
	}
	if p.Pos.Z < lo.Z || p.Pos.Z > hi.Z {
		p.Vel.Z = -p.Vel.Z
		bounced++
	}
	return bounced
}

type Stats struct {
	Energy   float64
	Momentum Vec
	Bounces  int
}

type rng struct{ s uint64 }

func (r *rng) next() float64 {
	r.s = r.s*6364136223846793005 + 1442695040888963407
	return float64(r.s>>11) / float64(1<<53)
}

// force of b on a (a softened inverse square), into f.
func force(a, b *Particle, f *Vec) {
	d := &Vec{}
	sub(&b.Pos, &a.Pos, d)
	dist2 := d.Dot(d) + 0.01
	*f = Vec{d.X, d.Y, d.Z}
	f.Scale(a.Mass * b.Mass / (dist2 * dist2))
}

func step(ps []*Particle, b *Bounds, dt float64, st *Stats) {
	for i, p := range ps {
		acc := &Vec{}
		// Neighbours in a window (a grid would do the same).
		for k := 1; k <= 8; k++ {
			q := ps[(i+k*37)%len(ps)]
			f := new(Vec)
			force(p, q, f)
			acc.Add(f)
		}
		acc.Scale(dt / p.Mass)
		p.Vel.Add(acc)
		move := &Vec{p.Vel.X, p.Vel.Y, p.Vel.Z}
		move.Scale(dt)
		p.Pos.Add(move)
		st.Bounces += b.Clamp(p)
	}
}

func measure(ps []*Particle) Stats {
	var st Stats
	for _, p := range ps {
		v := &p.Vel
		st.Energy += 0.5 * p.Mass * v.Dot(v)
		m := &Vec{v.X, v.Y, v.Z}
		m.Scale(p.Mass)
		st.Momentum.Add(m)
	}
	return st
}

func arg(i, def int) int {
	if len(os.Args) > i {
		if v, err := strconv.Atoi(os.Args[i]); err == nil {
			return v
		}
	}
	return def
}

func main() {
	n := arg(1, 400)
	steps := arg(2, 60)
	r := &rng{s: 42}
	ps := make([]*Particle, 0, n)
	for i := 0; i < n; i++ {
		ps = append(ps, &Particle{
			Pos:  Vec{r.next() * 10, r.next() * 10, r.next() * 10},
			Vel:  Vec{r.next() - 0.5, r.next() - 0.5, r.next() - 0.5},
			Mass: 1 + r.next(),
			ID:   i,
		})
	}
	b := &Bounds{Vec{0, 0, 0}, Vec{10, 10, 10}}
	var history []Stats
	total := Stats{}
	for s := 0; s < steps; s++ {
		step(ps, b, 0.05, &total)
		if s%10 == 0 {
			history = append(history, measure(ps))
		}
	}
	final := measure(ps)
	fmt.Printf("particles %d steps %d bounces %d\n", n, steps, total.Bounces)
	for i, h := range history {
		fmt.Printf("step %3d energy %.6f momentum (%.6f %.6f %.6f)\n", i*10, h.Energy,
			h.Momentum.X, h.Momentum.Y, h.Momentum.Z)
	}
	fmt.Printf("final energy %.6f\n", final.Energy)
}
