#!/usr/bin/env bash
kubectl get gateway demo
