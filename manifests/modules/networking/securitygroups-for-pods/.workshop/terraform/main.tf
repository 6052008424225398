# AWS resources for the securitygroups-for-pods lab: a PostgreSQL database
# that only accepts connections from one security group, and that group.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5"
    }
  }
}

variable "eks_cluster_name" {
  description = "Name of the EKS cluster the lab runs on"
  type        = string
}

data "aws_eks_cluster" "this" {
  name = var.eks_cluster_name
}

locals {
  vpc_id     = data.aws_eks_cluster.this.vpc_config[0].vpc_id
  subnet_ids = data.aws_eks_cluster.this.vpc_config[0].subnet_ids
  tags = {
    "labrun/module" = "networking/securitygroups-for-pods"
  }
}

# Attached to the catalog-sync Pods through a SecurityGroupPolicy.
resource "aws_security_group" "catalog_sync" {
  name        = "${var.eks_cluster_name}-catalog-sync"
  description = "Pods that may connect to the catalog database"
  vpc_id      = local.vpc_id

  egress {
    description = "Allow all outbound traffic"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(local.tags, { Name = "${var.eks_cluster_name}-catalog-sync" })
}

# Attached to the database: PostgreSQL only from the group above.
resource "aws_security_group" "catalog_db" {
  name        = "${var.eks_cluster_name}-catalog-db"
  description = "Catalog database, reachable from catalog-sync Pods only"
  vpc_id      = local.vpc_id

  ingress {
    description     = "PostgreSQL from catalog-sync Pods"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.catalog_sync.id]
  }

  tags = merge(local.tags, { Name = "${var.eks_cluster_name}-catalog-db" })
}

resource "aws_db_subnet_group" "catalog" {
  name       = "${var.eks_cluster_name}-catalog"
  subnet_ids = local.subnet_ids
  tags       = local.tags
}

resource "random_password" "catalog_db" {
  length  = 24
  special = false
}

resource "aws_db_instance" "catalog" {
  identifier             = "${var.eks_cluster_name}-catalog"
  engine                 = "postgres"
  instance_class         = "db.t4g.micro"
  allocated_storage      = 20
  db_name                = "catalog"
  username               = "catalog"
  password               = random_password.catalog_db.result
  db_subnet_group_name   = aws_db_subnet_group.catalog.name
  vpc_security_group_ids = [aws_security_group.catalog_db.id]
  publicly_accessible    = false
  skip_final_snapshot    = true
  apply_immediately      = true
  tags                   = local.tags
}

output "catalog_sync_security_group_id" {
  value = aws_security_group.catalog_sync.id
}

output "catalog_db_endpoint" {
  value = aws_db_instance.catalog.address
}
